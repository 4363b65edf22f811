'use client';

import { useEffect, useRef } from 'react';
import { useUiText } from './ui-text-context.tsx';
import styles from './workbench.module.css';

/** Asks before Reset throws the learner's edits away; a native modal dialog (focus trap, Esc). */
export function ResetDialog({
  open,
  onConfirm,
  onClose,
}: {
  open: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useUiText();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby="reset-title"
      aria-describedby="reset-body"
      onClose={onClose}
    >
      <h2 id="reset-title" className={styles.dialogTitle}>
        {t.resetTitle}
      </h2>
      <p id="reset-body" className={styles.dialogBody}>
        {t.resetBody}
      </p>
      <div className={styles.dialogActions}>
        <button type="button" className="btn" onClick={onClose} autoFocus>
          {t.cancel}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          {t.resetConfirm}
        </button>
      </div>
    </dialog>
  );
}
