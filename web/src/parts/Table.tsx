import type { ComponentChildren } from 'preact';

/** A table that scrolls sideways inside its box on a narrow screen instead of widening the page. */
export function Table({ children, label }: { children: ComponentChildren; label: string }) {
  return (
    <div class="table-wrap">
      <table aria-label={label}>{children}</table>
    </div>
  );
}
