import type { FindingsReport } from "../../core/findings.js";
import { UsageError } from "../../core/errors.js";
import { findingsToGithub } from "./github.js";
import { findingsToJson } from "./json.js";
import { findingsToJunit } from "./junit.js";
import { findingsToSarif } from "./sarif.js";
import { findingsToText } from "./text.js";
import { painter } from "../painter.js";

import { reportFormats } from "../output.js";

export { reportFormats };
export type ReportFormat = (typeof reportFormats)[number];

export function parseReportFormat(value: string | undefined, fallback: ReportFormat = "text"): ReportFormat {
  if (value === undefined) return fallback;
  if ((reportFormats as readonly string[]).includes(value)) return value as ReportFormat;
  throw new UsageError(`unknown output format "${value}"`, { hint: `use one of: ${reportFormats.join(", ")}` });
}

export interface ReportOptions {
  color: boolean;
  toolVersion: string;
  /** Print the summary line (text). */
  summary?: boolean;
  /** `-q`: only errors and the summary (text). */
  quiet?: boolean;
  /** List the kinds skipped for lack of a schema, one line per kind (text; off with --ignore-missing-schemas). */
  listSkipped?: boolean;
  /** `--summary`: text output keeps only the summary line. */
  summaryOnly?: boolean;
  /** The directory SARIF artifact URIs are relative to (`%SRCROOT%`); default the process's working directory. */
  sourceRoot?: string;
}

export async function renderReport(format: ReportFormat, report: FindingsReport, options: ReportOptions): Promise<string> {
  switch (format) {
    case "text": {
      const text = findingsToText(report, {
        painter: await painter(options.color),
        summary: options.summary ?? true,
        quiet: options.quiet ?? false,
        listSkipped: options.listSkipped ?? true,
      });
      if (!options.summaryOnly) return text;
      return (
        text
          .split("\n")
          .filter((line) => line.includes("Summary: "))
          .join("\n") + "\n"
      );
    }
    case "json":
      return findingsToJson(report, options.toolVersion);
    case "junit":
      return findingsToJunit(report);
    case "sarif":
      return findingsToSarif(report, options.toolVersion, options.sourceRoot ?? process.cwd());
    case "github":
      return findingsToGithub(report);
  }
}
