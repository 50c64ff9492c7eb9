// Copy the NL Design System stylesheets from node_modules into build/static/vendor,
// where Django's collectstatic picks them up. No bundler needed: plain CSS files.
import { cpSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static", "vendor");
const files = [
  ["@utrecht/component-library-css/dist/index.css", "utrecht/component-library.css"],
  ["@utrecht/design-tokens/dist/theme.css", "utrecht/theme.css"],
  ["@utrecht/component-library-css/LICENSE.md", "utrecht/LICENSE.md"],
];
for (const [from, to] of files) {
  const src = join(root, "node_modules", from);
  if (!existsSync(src)) {
    if (from.endsWith(".md")) continue;
    console.error(`missing ${src}: run npm ci first`);
    process.exit(1);
  }
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(src, join(out, to));
}
console.log(`static vendor files written to ${out}`);
