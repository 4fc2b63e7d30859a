import { github } from "./github.js";
import { json } from "./json.js";
import { junit } from "./junit.js";
import { sarif } from "./sarif.js";
import { stylish } from "./stylish.js";
import type { Formatter } from "./types.js";

export const FORMATS = ["stylish", "json", "sarif", "github", "junit"] as const;
export type FormatId = (typeof FORMATS)[number];

export const formatters: Record<FormatId, Formatter> = { stylish, json, sarif, github, junit };

export type { Formatter, ReportInput, ReportedFile } from "./types.js";
