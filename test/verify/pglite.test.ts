/** The engine suite on embedded PGlite: one instance for the whole file. */
import { afterAll, beforeAll } from "vitest";
import { PgliteEngine } from "../../src/verify/pglite.js";
import { engineSuite } from "./engine-suite.js";

let engine: PgliteEngine | undefined;
beforeAll(async () => {
  engine = await PgliteEngine.create();
});
afterAll(async () => engine?.close());

engineSuite(() => engine);
