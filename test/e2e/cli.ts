/** The CLI entry the end-to-end tests spawn: the sources through tsx, so no build is needed. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
