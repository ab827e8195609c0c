import type { ReactNode } from "react";

/*
 * Labelled inputs whose error message is tied to the input (aria-describedby, aria-invalid), so forms work
 * without JavaScript and screen readers announce what is wrong where.
 */
export interface FieldProps {
  name: string;
  label: string;
  errors?: Record<string, string> | null;
  defaultValue?: string | number | null;
  type?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal" | "email" | "text";
  placeholder?: string;
  size?: "s" | "m" | "l";
}

export function fieldId(name: string) {
  return `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

export function Field({
  name,
  label,
  errors,
  defaultValue,
  type = "text",
  hint,
  required,
  autoComplete,
  inputMode,
  placeholder,
  size = "m",
}: FieldProps) {
  const id = fieldId(name);
  const error = errors?.[name];
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field field-${size}${error ? " has-error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? undefined}
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
  name,
  label,
  errors,
  defaultValue,
  options,
  required,
}: {
  name: string;
  label: string;
  errors?: Record<string, string> | null;
  defaultValue?: string | number | null;
  options: Array<{ value: string; label: string }>;
  required?: boolean;
}) {
  const id = fieldId(name);
  const error = errors?.[name];
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue === null || defaultValue === undefined ? undefined : String(defaultValue)}
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

export function TextAreaField({
  name,
  label,
  errors,
  defaultValue,
  rows = 4,
}: {
  name: string;
  label: string;
  errors?: Record<string, string> | null;
  defaultValue?: string | null;
  rows?: number;
}) {
  const id = fieldId(name);
  const error = errors?.[name];
  return (
    <div className={`field field-l${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? undefined}
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

/** The summary above a failed form: how many fields to fix, plus any error not tied to one field. */
export function FormErrors({ errors }: { errors?: Record<string, string> | null }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  const general = errors._;
  const count = Object.keys(errors).filter((k) => k !== "_").length;
  return (
    <div className="alert alert-error" role="alert">
      {general ? <p>{general}</p> : null}
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
