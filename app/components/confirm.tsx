import { Form } from "@remix-run/react";
import type { FormEvent, ReactNode } from "react";

/*
 * An irreversible action behind a second, explicit click that works without JavaScript: the first button only
 * opens a <details> that says what will happen, and the form inside it holds the real submit button.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  hidden,
  danger = true,
  small = true,
  open,
  form,
  children,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  hidden: Record<string, string | number>;
  danger?: boolean;
  small?: boolean;
  /** Open from the start, e.g. when the form inside it came back with a message for one of its fields. */
  open?: boolean;
  /** The conform form's attributes (formProps) when the question holds inputs of a useAppForm form. */
  form?: { id: string; noValidate: boolean; onSubmit: (event: FormEvent<HTMLFormElement>) => void };
  children?: ReactNode;
}) {
  return (
    <details className="confirm" open={open || undefined}>
      <summary className={`btn ${danger ? "btn-danger" : "btn-secondary"}${small ? " btn-small" : ""}`}>
        {label}
      </summary>
      <div className="confirm-box" role="group" aria-label={question}>
        <p>{question}</p>
        <Form method="post" {...form}>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children}
          <button className={`btn ${danger ? "btn-danger" : ""} btn-small`} type="submit">
            {confirmLabel}
          </button>
        </Form>
      </div>
    </details>
  );
}
