/**
 * The vulnerability database schema, written once per dialect. Advisories are keyed by
 * (source, id); what an advisory says about one package in one namespace is one `img_affected`
 * row, so a scan looks up (namespace, package) pairs through one index.
 */
import type { MigrationSet } from '../../../storage/types.js';

const V1 = `
CREATE TABLE img_advisory (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  aliases TEXT NOT NULL,
  summary TEXT,
  severity TEXT,
  published TEXT,
  modified TEXT,
  links TEXT NOT NULL,
  cvss TEXT NOT NULL,
  origin TEXT NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE TABLE img_affected (
  source TEXT NOT NULL,
  advisory_id TEXT NOT NULL,
  namespace TEXT NOT NULL,
  package TEXT NOT NULL,
  state TEXT NOT NULL,
  ranges TEXT NOT NULL,
  versions TEXT,
  fixed TEXT,
  severity TEXT,
  severity_raw TEXT,
  origin TEXT NOT NULL,
  PRIMARY KEY (source, advisory_id, namespace, package)
);
CREATE INDEX img_affected_lookup ON img_affected (namespace, package);
CREATE TABLE img_source (
  name TEXT PRIMARY KEY,
  advisories INTEGER NOT NULL,
  affected INTEGER NOT NULL,
  data_date TEXT,
  imported_at TEXT NOT NULL,
  location TEXT NOT NULL,
  fingerprint TEXT
);
CREATE TABLE img_namespace (
  source TEXT NOT NULL,
  namespace TEXT NOT NULL,
  affected INTEGER NOT NULL,
  data_date TEXT,
  PRIMARY KEY (source, namespace)
);
`;

/** Migrations of the image engine's vulnerability store. */
export const IMAGE_VULN_MIGRATIONS: MigrationSet = {
  namespace: 'image_vulns',
  migrations: [{ version: 1, name: 'vulnerability store', sqlite: V1, postgres: V1 }],
};
