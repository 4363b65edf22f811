import type { InputHTMLAttributes, ReactNode } from 'react';
import styles from './forms.module.css';

/**
 * A labelled input of the teach and join forms, with its hint (if any) tied to it by
 * aria-describedby. `grow` lets it fill an inline form's row.
 */
export function Field({
  id,
  label,
  hint,
  grow = false,
  className,
  ...input
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  grow?: boolean;
} & InputHTMLAttributes<HTMLInputElement>) {
  const hintId = `${id}-hint`;
  return (
    <div className={grow ? `${styles.field} ${styles.grow}` : styles.field}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={className ? `${styles.input} ${className}` : styles.input}
        aria-describedby={hint ? hintId : undefined}
        {...input}
      />
      {hint ? (
        <span id={hintId} className={styles.hint}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}
