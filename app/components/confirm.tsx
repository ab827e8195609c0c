import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

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
  children,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  hidden: Record<string, string | number>;
  danger?: boolean;
  small?: boolean;
  children?: ReactNode;
}) {
  return (
    <details className="confirm">
      <summary className={`btn ${danger ? "btn-danger" : "btn-secondary"}${small ? " btn-small" : ""}`}>
        {label}
      </summary>
      <div className="confirm-box" role="group" aria-label={question}>
        <p>{question}</p>
        <Form method="post">
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
