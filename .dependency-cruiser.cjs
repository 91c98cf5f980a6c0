// Structure gate (`npm run lint:cycles`): any cycle among the project's own modules fails.
// Cycles make load order matter and stop a module being understood, tested or moved on its own.
// And the generic layers never import the on-premises family: the family served is chosen only at
// the composition roots (src/cli/ and src/library/, through src/family/served-family.ts) and passed in.
// Nothing outside src/cli/ imports it: the server and the library take options already checked.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not import itself through others; move the shared piece into a module of its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'generic-layers-take-the-family',
      severity: 'error',
      comment:
        'The engine, store, HTTP, auth, admin, OData, model, OpenAPI, error and server layers serve whichever ' +
        'family they are given (createApp, openStore, startServer); only the composition roots (src/cli/, ' +
        'src/library/) and tests name the on-premises family. Take the family as a parameter instead.',
      from: {
        path: '^src/(resources|store|http|auth|admin|odata|model|openapi|graph|server)/',
        // Tests, and the test support modules that build on-premises fixtures for them.
        pathNot: ['[.]test[.]ts$', '^src/http/testing[.]ts$', '^src/odata/query/test-fixtures[.]ts$'],
      },
      to: { path: ['^src/family/on-premises/', '^src/family/served-family[.]ts$'] },
    },
    {
      name: 'only-the-cli-reads-the-command-line',
      severity: 'error',
      comment:
        'src/cli/ reads flags, environment and files, and prints; the server, the library and the layers below ' +
        'take checked options. Move what both need out of src/cli/ (as src/server/control-setup.ts).',
      from: { path: '^src/', pathNot: ['^src/cli/', '[.]test[.]ts$'] },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test/fixtures)/' },
    // TypeScript sources import each other as `./x.js` (NodeNext); resolve those through tsconfig.
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
