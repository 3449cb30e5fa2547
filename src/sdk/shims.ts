// What the bundle loads for `@modelcontextprotocol/server/_shims` (scripts/build.mjs aliases it here). The SDK's
// own Node shim imports AJV (153 KB, evaluated at every start) as the default JSON Schema validator; the server
// passes its own (src/server.ts), so the default here is the same lighter one the SDK ships for workerd.

export { default as process } from 'node:process';
export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
