import type { ComponentChildren } from 'preact';

/**
 * A table (with a header row of `columns`, if given) that scrolls sideways inside its box on a narrow
 * screen instead of widening the page. `children` are its body rows.
 */
export function Table({
  children,
  label,
  columns,
}: {
  children: ComponentChildren;
  label: string;
  columns?: string[];
}) {
  return (
    <div class="table-wrap">
      <table aria-label={label}>
        {columns && (
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
