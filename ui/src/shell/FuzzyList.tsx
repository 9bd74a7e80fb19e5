// A search box over a list, ranked by the fuzzy matcher: the Ctrl+K palette
// and the canvas's node search popup. Arrow keys move, Enter runs, Escape
// closes.

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { rank, type FuzzyItem } from './fuzzy';

function highlight(text: string, positions: number[]): ReactNode {
  if (!positions.length) return text;
  const set = new Set(positions);
  const out: ReactNode[] = [];
  let run = '';
  let marked = false;
  const flush = (i: number) => {
    if (!run) return;
    out.push(marked ? <mark key={i}>{run}</mark> : run);
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const m = set.has(i);
    if (m !== marked) {
      flush(i);
      marked = m;
    }
    run += text[i];
  }
  flush(text.length);
  return out;
}

export function FuzzyList<T extends FuzzyItem>({
  items,
  weight,
  onClose,
  placeholder,
  inputLabel,
  className,
}: {
  items: T[];
  weight?: (item: T) => number;
  onClose: () => void;
  placeholder: string;
  inputLabel: string;
  className: string;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const results = useMemo(() => rank(items, query, weight), [items, query, weight]);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const current = Math.min(active, Math.max(results.length - 1, 0));

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(current + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      results[current]?.item.run();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  };

  return (
    <>
      <input
        ref={inputRef}
        className={`${className}__input nodrag nokey`}
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={results[current] ? `${listId}-${current}` : undefined}
        aria-label={inputLabel}
        placeholder={placeholder}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className={`${className}__list`} role="listbox" id={listId} aria-label="Results">
        {results.length === 0 && <li className={`${className}__none`}>Nothing matches “{query}”.</li>}
        {results.map(({ item, positions }, i) => (
          <li
            key={item.key}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === current}
            className={`${className}__item ${i === current ? 'is-active' : ''}`}
            onMouseEnter={() => setActive(i)}
            onClick={() => item.run()}
          >
            <span className={`${className}__kind ${className}__kind--${item.kind}`}>{item.kind}</span>
            <span className={`${className}__label`}>{highlight(item.label, positions)}</span>
            <span className={`${className}__detail`} title={item.detail}>
              {item.detail}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
