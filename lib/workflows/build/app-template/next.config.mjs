import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {import("next").NextConfig} */
export default {
  poweredByHeader: false,
  // This folder is the project, wherever it is unpacked (not a parent with its own lockfile).
  turbopack: { root },
  outputFileTracingRoot: root,
  // Tabflow's check runs `tsc --noEmit` as a step of its own just before, and sets this.
  typescript: { ignoreBuildErrors: process.env.APP_BUILD_SKIP_TYPECHECK === "1" },
};
