/** Part 2 of the round-trip property test (see property.ts): random histories on their own PGlite. */
import { propertyTest } from "./property.js";

propertyTest(2);
