import { useForm, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import { useLocation } from "@remix-run/react";
import { useState, type FormEvent, type ReactNode } from "react";
import type { FormResult } from "~/lib/forms";

/*
 * Page forms through conform (docs/ui.md#forms): useAppForm gives each input its name, its error and the value to
 * show (what was typed, after a failed submission; else the page's default). The inputs below tie the error to
 * the input (aria-describedby, aria-invalid), so forms work without JavaScript and screen readers announce what is
 * wrong where. Validation is the server's: the same zod schema as the API, one reply shape (app/lib/forms.ts).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a field of any form's shape
export type AnyField = FieldMetadata<any, any, string[]>;

/**
 * conform's useForm for a server-validated form. `lastResult` is the action's reply for this form (resultFor),
 * `defaultValue` what the form shows before any submission. After a later navigation without a reply (a save
 * that redirected back to the page) the form starts again from the page's new defaults.
 */
export function useAppForm<Shape extends Record<string, unknown>>(options: {
  id: string;
  lastResult?: FormResult;
  defaultValue?: Partial<Record<keyof Shape, unknown>>;
}) {
  const location = useLocation();
  const [round, setRound] = useState({ key: location.key, n: 0 });
  if (round.key !== location.key) setRound({ key: location.key, n: options.lastResult ? round.n : round.n + 1 });
  return useForm<Shape>({
    id: round.n === 0 ? options.id : `${options.id}-${round.n}`,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue as never,
    shouldValidate: "onSubmit",
  });
}

/** The <Form> attributes of a conform form; `noValidate` as the form had it (the server validates either way). */
export function formProps(form: Pick<FormMetadata, "id" | "onSubmit">, noValidate = true) {
  return {
    id: form.id,
    noValidate,
    onSubmit: (event: FormEvent<HTMLFormElement>) => form.onSubmit(event),
  };
}

export interface FieldProps {
  field: AnyField;
  label: string;
  type?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal" | "email" | "text";
  placeholder?: string;
  size?: "s" | "m" | "l";
  /** The input's id, when two forms on one page have inputs of the same name (default: from the name). */
  id?: string;
}

export function fieldId(name: string) {
  return `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

function errorOf(field: AnyField): string | undefined {
  return field.errors?.[0];
}

export function Field({
  field,
  label,
  type = "text",
  hint,
  required,
  autoComplete,
  inputMode,
  placeholder,
  size = "m",
  id: ownId,
}: FieldProps) {
  const name = field.name;
  const id = ownId ?? fieldId(name);
  const error = errorOf(field);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field field-${size}${error ? " has-error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        key={field.key}
        id={id}
        name={name}
        type={type}
        defaultValue={type === "password" ? undefined : field.defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        required={required}
        autoComplete={autoComplete}
        inputMode={inputMode}
        placeholder={placeholder}
      />
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({
  field,
  label,
  options,
  required,
  fallback,
}: {
  field: AnyField;
  label: string;
  options: Array<{ value: string; label: string }>;
  required?: boolean;
  /** The option chosen when the form has no value for the field (an empty one was sent, or none yet). */
  fallback?: string;
}) {
  const name = field.name;
  const id = fieldId(name);
  const error = errorOf(field);
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select
        key={field.key}
        id={id}
        name={name}
        defaultValue={field.defaultValue ?? fallback}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        required={required}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextAreaField({ field, label, rows = 4 }: { field: AnyField; label: string; rows?: number }) {
  const name = field.name;
  const id = fieldId(name);
  const error = errorOf(field);
  return (
    <div className={`field field-l${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        key={field.key}
        id={id}
        name={name}
        rows={rows}
        defaultValue={field.defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A file input; a chosen file is never sent back, so after a failure the person chooses it again. */
export function FileField({
  field,
  label,
  accept,
  hint,
  size = "l",
}: {
  field: AnyField;
  label: string;
  accept?: string;
  hint?: string;
  size?: "s" | "m" | "l";
}) {
  const id = fieldId(field.name);
  const error = errorOf(field);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field field-${size}${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        key={field.key}
        id={id}
        name={field.name}
        type="file"
        accept={accept}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A box to tick (confirm=yes); its message below it, as a field's. */
export function CheckboxField({ field, label, value = "yes" }: { field: AnyField; label: string; value?: string }) {
  const id = fieldId(field.name);
  const error = errorOf(field);
  return (
    <>
      <div
        className={`field${error ? " has-error" : ""}`}
        style={{ flexDirection: "row", alignItems: "center", gap: 8 }}
      >
        <input
          key={field.key}
          type="checkbox"
          id={id}
          name={field.name}
          value={value}
          defaultChecked={field.initialValue === value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

/**
 * The summary above a failed form: the messages for the whole form, and how many inputs to fix, only when inputs
 * are marked (the server puts a message for a name the form has no input of under the whole form).
 */
export function FormErrors({ result }: { result?: FormResult | null }) {
  const error = result?.error ?? {};
  const general = error[""] ?? [];
  const count = Object.entries(error).filter(
    ([name, messages]) => name !== "" && messages && messages.length > 0,
  ).length;
  if (general.length === 0 && count === 0) return null;
  return (
    <div className="alert alert-error" role="alert">
      {general.map((message) => (
        <p key={message}>{message}</p>
      ))}
      {count > 0 ? (
        <p>
          {count === 1 ? "Rätta fältet som är markerat nedan." : `Rätta de ${count} fälten som är markerade nedan.`}
        </p>
      ) : null}
    </div>
  );
}

export function Notice({ children, kind = "info" }: { children: ReactNode; kind?: "info" | "success" | "warning" }) {
  return (
    <div className={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}
