/** Messages between the shell (main thread) and its query worker. */
export type ToWorker = { readonly type: 'query'; readonly id: number; readonly sql: string } | { readonly type: 'meta' };

export type FromWorker =
  | { readonly type: 'meta'; readonly tables: readonly string[]; readonly schemas: Readonly<Record<string, string>> }
  | { readonly type: 'columns'; readonly id: number; readonly columns: readonly string[] }
  | { readonly type: 'rows'; readonly id: number; readonly rows: readonly (readonly (string | null)[])[] }
  | { readonly type: 'warning'; readonly id: number; readonly message: string }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'cancelled'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly code: string; readonly message: string };
