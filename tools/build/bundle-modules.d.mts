/** A build-stopping problem, naming the file. */
export declare class BundleError extends Error {}

/** The module's imports (in source order) and exports, and its body without import/export syntax. */
export declare function parseModule(
  file: string,
  text: string,
): {
  imports: { spec: string; names: [string, string][] | undefined; namespace: string | undefined; default: string | undefined }[];
  exports: [string, string][];
  body: string;
};

/** Builds the text of the bundled entry (root: dist root; entry: relative to it). */
export declare function bundleEntry(root: string, entry: string): { text: string; bundled: string[]; kept: string[] };
