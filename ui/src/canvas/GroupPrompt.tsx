// The *Group* box: the name of the new composite (a suggestion filled in),
// then the backend groups the nodes or says why not (in the box and the
// status line).

import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store';
import { Dialog } from '../shell/Dialog';

export function GroupPrompt() {
  const prompt = useStore((s) => s.groupPrompt);
  if (!prompt) return null;
  return <GroupBox key={prompt.nodes.join(',')} nodes={prompt.nodes} suggested={prompt.name} />;
}

function GroupBox({ nodes, suggested }: { nodes: string[]; suggested: string }) {
  const [name, setName] = useState(suggested);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The dialog focuses its first button once mounted; the name comes first.
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.select();
    });
    return () => cancelAnimationFrame(id);
  }, []);
  const close = () => useStore.setState({ groupPrompt: null });
  const submit = async () => {
    setBusy(true);
    await useStore.getState().groupNodes(nodes, name);
    setBusy(false);
  };
  const refusal = useStore((s) => (s.status?.kind === 'error' && s.status.text.startsWith('Not grouped') ? s.status.text : null));
  return (
    <Dialog
      title={`Group ${nodes.length} node${nodes.length === 1 ? '' : 's'}`}
      onEscape={close}
      actions={
        <>
          <button type="submit" form="pb-group-form" className="pb-btn pb-btn--primary" disabled={busy || !name.trim()}>
            Group
          </button>
          <button type="button" className="pb-btn" onClick={close}>
            Cancel
          </button>
        </>
      }
    >
      <form
        id="pb-group-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="pb-field">
          <span>Composite name</span>
          <input
            ref={input}
            className="pb-input nodrag nokey"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-label="Composite name"
          />
        </label>
        <p className="pb-muted">{nodes.join(', ')}</p>
        {refusal && (
          <p className="pb-warning" role="alert">
            {refusal}
          </p>
        )}
      </form>
    </Dialog>
  );
}
