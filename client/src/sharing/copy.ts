/** Copies text to the clipboard; falls back to selecting a field and execCommand for
 * browsers or contexts without the async Clipboard API. Resolves false if both fail. */
export async function copyText(text: string, fallbackField?: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallbackField) return false;
    fallbackField.focus();
    fallbackField.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}
