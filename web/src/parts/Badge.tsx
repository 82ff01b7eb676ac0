/** A state as a coloured label: green when good, red when failed, grey while in progress. */
export function Badge({ value }: { value: string }) {
  return <span class={`badge badge-${value.toLowerCase()}`}>{value}</span>;
}
