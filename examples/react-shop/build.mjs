// Builds dist/: index.html and app.js, the app and React bundled and minified by esbuild.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, statSync } from "node:fs";

mkdirSync("dist", { recursive: true });
await build({
  entryPoints: ["src/main.jsx"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  // @colmena/react is a file: dependency (a symlink): resolve its `react` from here.
  preserveSymlinks: true,
  define: { "process.env.NODE_ENV": '"production"' },
  outfile: "dist/app.js",
  logLevel: "warning",
});
copyFileSync("index.html", "dist/index.html");
console.log(`dist/app.js: ${statSync("dist/app.js").size} bytes`);
