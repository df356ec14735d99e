import { Modal } from "../sharing/Modal";
import { keyLabel } from "./keys";
import { SHORTCUTS } from "./shortcut-list";

export default function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal label="Keyboard shortcuts" onClose={onClose} className="shortcuts-dialog">
      <h2>Keyboard shortcuts</h2>
      {SHORTCUTS.map((g) => (
        <section key={g.group}>
          <h3 className="shortcuts-group">{g.group}</h3>
          <table className="shortcuts-table">
            <tbody>
              {g.items.map(([keys, what]) => (
                <tr key={keys}>
                  <td>
                    <kbd>{keyLabel(keys)}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <div className="modal-actions">
        <button type="button" className="button primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
