// Modal dialogs (the native <dialog>: it keeps focus inside, Escape closes it, and focus goes
// back where it was when it closes).
import { byId } from './dom.js';

/** Asks before something that cannot be undone; resolves true when confirmed. */
export function confirmAction({ title, text, ok = 'Delete' }) {
  const dialog = byId('confirm-dialog');
  const form = byId('confirm-form');
  const cancel = byId('confirm-cancel');
  byId('confirm-title').textContent = title;
  byId('confirm-text').textContent = text;
  byId('confirm-ok').textContent = ok;
  return new Promise((resolve) => {
    const finish = (answer) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      finish(true);
    };
    const onCancel = () => finish(false);
    const onClose = () => finish(false);
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    // The safe choice has the focus: Enter alone does not delete.
    cancel.focus();
  });
}
