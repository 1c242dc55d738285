/** The contract every version ordering plugin implements. */
export interface VersionScheme {
  /** How users and advisories name it: dpkg, apk, rpm, semver, pep440. */
  readonly name: string;
  readonly help: string;
  /** Negative when a < b, zero when equal, positive when a > b. Never throws. */
  compare(a: string, b: string): number;
  /** True when the string is a version this scheme understands exactly. */
  isValid(version: string): boolean;
}
