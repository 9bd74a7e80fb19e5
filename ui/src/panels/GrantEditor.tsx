/**
 * The grant editor of the binding panel: the scopes a granted import gets
 * (environment names, folders, allow-list, clock, random; for
 * `wasi:keyvalue` a database file and its buckets; for `wasi:config/store`
 * values and an environment prefix), each entry checked by the backend as
 * it is typed (`check_grant_entry`).
 */
import { useState } from 'react';
import type { ClockSetting, DirGrant, Grant, GrantEntry, GrantScope, RandomSetting } from '../store/backend';
import { ALL_SCOPES, SCOPE_TITLES, checkU64 } from './bindingEdit';
import { Segmented, StringListEditor } from './common';
import { CommitInput, KeyValueEditor } from './inputs';
import { useGrantEntryCheck } from './useGrantEntryCheck';

export function GrantEditor({
  grant,
  scopes,
  onChange,
}: {
  grant: Grant;
  scopes: GrantScope[];
  onChange: (grant: Grant) => void;
}) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll || scopes.length === 0 ? ALL_SCOPES : scopes;
  const g: Grant = {
    env: grant.env,
    dirs: grant.dirs,
    allow: grant.allow,
    clock: grant.clock,
    random: grant.random,
    store: grant.store ?? null,
    buckets: grant.buckets ?? [],
    config: grant.config ?? [],
    configPrefix: grant.configPrefix ?? null,
  };
  const checkEntry = useGrantEntryCheck();
  return (
    <div className="pbp-grant">
      {scopes.length === 0 && (
        <div className="pbp-muted">
          This interface has no scope of its own; the scopes below apply to the WASI interfaces granted with it.
        </div>
      )}
      {shown.map((scope) => (
        <fieldset key={scope} className="pbp-scope">
          <legend>{SCOPE_TITLES[scope]}</legend>
          {scope === 'env' && (
            <StringListEditor
              label="Environment variables"
              values={g.env}
              placeholder="GREETING"
              validate={(name) => checkEntry({ kind: 'env', name })}
              onChange={(env) => onChange({ ...g, env })}
            />
          )}
          {scope === 'dirs' && (
            <DirsEditor dirs={g.dirs} checkEntry={checkEntry} onChange={(dirs) => onChange({ ...g, dirs })} />
          )}
          {scope === 'allow' && (
            <StringListEditor
              label="Allowed host:port"
              values={g.allow}
              placeholder="127.0.0.1:8080"
              validate={(address) => checkEntry({ kind: 'allow', address })}
              onChange={(allow) => onChange({ ...g, allow })}
            />
          )}
          {scope === 'clock' && <ClockEditor clock={g.clock} onChange={(clock) => onChange({ ...g, clock })} />}
          {scope === 'random' && <RandomEditor random={g.random} onChange={(random) => onChange({ ...g, random })} />}
          {scope === 'store' && (
            <CommitInput
              label="Database file (relative to the project)"
              value={g.store ?? ''}
              placeholder="data/kv.redb"
              onCommit={(v) => onChange({ ...g, store: v.trim() === '' ? null : v.trim() })}
            />
          )}
          {scope === 'buckets' && (
            <StringListEditor
              label="Buckets the guest may open"
              values={g.buckets}
              placeholder="default"
              validate={(name) => checkEntry({ kind: 'bucket', name })}
              onChange={(buckets) => onChange({ ...g, buckets })}
            />
          )}
          {scope === 'config' && (
            <KeyValueEditor
              label="Config values"
              rows={g.config}
              keyLabel="Key"
              valueLabel="Value"
              keyPlaceholder="greeting"
              valuePlaceholder="hello"
              onChange={(config) => onChange({ ...g, config })}
            />
          )}
          {scope === 'config-prefix' && (
            <CommitInput
              label="Host variables with this prefix (prefix stripped, lowercased)"
              value={g.configPrefix ?? ''}
              placeholder="APP_"
              validate={(v) => (v.trim() === '' ? null : checkEntry({ kind: 'config-prefix', prefix: v.trim() }))}
              onCommit={(v) => onChange({ ...g, configPrefix: v.trim() === '' ? null : v.trim() })}
            />
          )}
        </fieldset>
      ))}
      {scopes.length > 0 && scopes.length < ALL_SCOPES.length && (
        <button type="button" className="pbp-btn pbp-btn-small pbp-btn-ghost" onClick={() => setShowAll((v) => !v)}>
          {showAll ? 'Show only the scopes of this interface' : 'Show every scope'}
        </button>
      )}
    </div>
  );
}

function DirsEditor({
  dirs,
  checkEntry,
  onChange,
}: {
  dirs: DirGrant[];
  checkEntry: (entry: GrantEntry) => string | null;
  onChange: (dirs: DirGrant[]) => void;
}) {
  const [host, setHost] = useState('');
  const [guest, setGuest] = useState('');
  const [writable, setWritable] = useState(false);
  const newError = host.trim() !== '' && guest.trim() !== '' ? checkEntry({ kind: 'dir', host: host.trim(), guest: guest.trim() }) : null;
  const canAdd = host.trim() !== '' && guest.trim() !== '' && newError === null;
  const add = () => {
    if (!canAdd) return;
    onChange([...dirs, { host: host.trim(), guest: guest.trim(), writable }]);
    setHost('');
    setGuest('');
    setWritable(false);
  };
  const required = (v: string) => (v.trim() === '' ? 'required' : null);
  const setAt = (i: number, patch: Partial<DirGrant>) => onChange(dirs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <table className="pbp-table pbp-dirs" aria-label="Folders">
      <thead>
        <tr>
          <th scope="col">Host folder</th>
          <th scope="col">Guest path</th>
          <th scope="col">Writable</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {dirs.map((d, i) => (
          <tr key={`${i}:${d.host}`}>
            <td>
              <CommitInput
                label={`Host folder ${i + 1}`}
                value={d.host}
                validate={required}
                onCommit={(v) => setAt(i, { host: v.trim() })}
              />
            </td>
            <td>
              <CommitInput
                label={`Guest path ${i + 1}`}
                value={d.guest}
                validate={(v) => required(v) ?? checkEntry({ kind: 'dir', host: d.host, guest: v.trim() })}
                onCommit={(v) => setAt(i, { guest: v.trim() })}
              />
            </td>
            <td>
              <input
                type="checkbox"
                className="nodrag nokey"
                aria-label={`Folder ${d.host} writable`}
                checked={d.writable}
                onChange={(e) => setAt(i, { writable: e.target.checked })}
              />
            </td>
            <td>
              <button
                type="button"
                className="pbp-btn pbp-btn-small pbp-btn-ghost"
                aria-label={`Remove folder ${d.host}`}
                onClick={() => onChange(dirs.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </td>
          </tr>
        ))}
        <tr>
          <td>
            <input
              className="pbp-input nodrag nokey"
              aria-label="New host folder"
              placeholder="data (relative to the project)"
              value={host}
              onChange={(e) => setHost(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
          </td>
          <td>
            <input
              className="pbp-input nodrag nokey"
              aria-label="New guest path"
              placeholder="/data"
              value={guest}
              onChange={(e) => setGuest(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
          </td>
          <td>
            <input
              type="checkbox"
              className="nodrag nokey"
              aria-label="New folder writable"
              checked={writable}
              onChange={(e) => setWritable(e.target.checked)}
            />
          </td>
          <td>
            <button type="button" className="pbp-btn pbp-btn-small" disabled={!canAdd} onClick={add}>
              Add
            </button>
          </td>
        </tr>
        {newError !== null && (
          <tr>
            <td colSpan={4} className="pbp-error" role="alert">
              {newError}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function ClockEditor({ clock, onChange }: { clock: ClockSetting | null; onChange: (clock: ClockSetting | null) => void }) {
  const kind = clock?.kind ?? 'default';
  return (
    <div className="pbp-row pbp-wrap">
      <Segmented
        label="Clock"
        value={kind}
        options={[
          { value: 'default', label: 'Default', title: 'The host’s real clock' },
          { value: 'real', label: 'Real' },
          { value: 'fixed', label: 'Fixed' },
        ]}
        onChange={(k) =>
          onChange(k === 'default' ? null : k === 'real' ? { kind: 'real' } : { kind: 'fixed', unixMs: clock?.kind === 'fixed' ? clock.unixMs : Date.now() })
        }
      />
      {clock?.kind === 'fixed' && (
        <>
          <CommitInput
            label="Fixed time (ms since the Unix epoch)"
            className="pbp-commit-num"
            value={String(clock.unixMs)}
            validate={checkSafeNumber}
            onCommit={(v) => onChange({ kind: 'fixed', unixMs: Number(v.trim()) })}
          />
          <span className="pbp-muted">{new Date(clock.unixMs).toISOString()}</span>
          <button type="button" className="pbp-btn pbp-btn-small" onClick={() => onChange({ kind: 'fixed', unixMs: Date.now() })}>
            Now
          </button>
        </>
      )}
    </div>
  );
}

function RandomEditor({
  random,
  onChange,
}: {
  random: RandomSetting | null;
  onChange: (random: RandomSetting | null) => void;
}) {
  const kind = random?.kind ?? 'default';
  return (
    <div className="pbp-row pbp-wrap">
      <Segmented
        label="Random"
        value={kind}
        options={[
          { value: 'default', label: 'Default', title: 'The host’s secure random source' },
          { value: 'real', label: 'Real' },
          { value: 'seeded', label: 'Seeded' },
        ]}
        onChange={(k) =>
          onChange(k === 'default' ? null : k === 'real' ? { kind: 'real' } : { kind: 'seeded', seed: random?.kind === 'seeded' ? random.seed : 42 })
        }
      />
      {random?.kind === 'seeded' && (
        <CommitInput
          label="Seed"
          className="pbp-commit-num"
          value={String(random.seed)}
          validate={checkSafeNumber}
          onCommit={(v) => onChange({ kind: 'seeded', seed: Number(v.trim()) })}
        />
      )}
    </div>
  );
}

/** u64 settings travel as JSON numbers: keep them exact. */
function checkSafeNumber(text: string): string | null {
  const e = checkU64(text);
  if (e) return e;
  return Number(text.trim()) > Number.MAX_SAFE_INTEGER ? `at most ${Number.MAX_SAFE_INTEGER}` : null;
}
