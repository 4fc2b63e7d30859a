/** The engine suite on embedded PGlite: one instance for the whole file. */
import { engineSuite } from "./engine-suite.js";
import { sharedPglite } from "./helpers.js";

engineSuite(sharedPglite());
