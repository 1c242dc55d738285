/**
 * Layering rules (docs/architecture.md): core <- storage <- engines/* <- server <- cli; web -> server/api/schema only.
 * Engines never import each other or a storage driver; inside an engine a stage never imports a later stage.
 * `npm test` runs this (npm run lint); test/layering.test.ts proves it fails on a bad import.
 */
const STAGES = {
  image: ['types', 'fetch', 'unpack', 'detect', 'versions', 'sources', 'store', 'match', 'report', 'pipeline'],
  endpoint: ['types', 'specs', 'tables', 'vtab', 'shell', 'daemon', 'fleet'],
  ids: ['types', 'acquire', 'decode', 'flow', 'stream', 'inspect', 'rules', 'detect', 'act', 'log', 'pipeline'],
};

const stageRules = [];
for (const [engine, stages] of Object.entries(STAGES)) {
  stages.forEach((stage, i) => {
    const later = stages.slice(i + 1);
    if (later.length === 0) return;
    stageRules.push({
      name: `${engine}-${stage}-no-later-stage`,
      comment: `${engine}/${stage} is an earlier stage than ${later.join(', ')} and must not import them`,
      severity: 'error',
      from: { path: `^src/engines/${engine}/${stage}(/|\\.ts$)` },
      to: { path: `^src/engines/${engine}/(${later.join('|')})(/|\\.ts$)` },
    });
  });
}

module.exports = {
  forbidden: [
    {
      name: 'core-is-the-bottom',
      comment: 'core imports nothing else from Vigil',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(storage|engines|server|cli)/' },
    },
    {
      name: 'storage-below-engines',
      comment: 'storage knows nothing of engines, server or CLI',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(engines|server|cli)/' },
    },
    {
      name: 'engines-are-independent',
      comment: 'an engine never imports another engine',
      severity: 'error',
      from: { path: '^src/engines/([^/]+)/' },
      to: { path: '^src/engines/', pathNot: '^src/engines/$1/' },
    },
    {
      name: 'engines-use-the-store-interface',
      comment: 'engines get a Store; only server and cli pick a driver',
      severity: 'error',
      from: { path: '^src/engines/' },
      to: { path: '^src/storage/(sqlite|postgres|open)' },
    },
    {
      name: 'no-pg-outside-its-driver',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/storage/postgres/' },
      to: { path: 'node_modules/(pg|pg-[a-z-]+)/' },
    },
    {
      name: 'no-sqlite-library-outside-its-uses',
      comment:
        'better-sqlite3 is the SQLite storage driver, the endpoint SQL engine, and a reader of foreign SQLite files (rpmdb) in endpoint tables and image detectors; engines never use it as their store',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(storage/sqlite|engines/endpoint|engines/image/detect)/' },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'engines-below-server-and-cli',
      severity: 'error',
      from: { path: '^src/(core|storage|engines)/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'server-below-cli',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'web-talks-only-to-the-api-schema',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/server/api/schema' },
    },
    {
      name: 'no-circular',
      comment: 'cycles make stages impossible to reason about',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...stageRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|/testdata/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'node', 'default'] },
  },
};
