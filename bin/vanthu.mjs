#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so an installed checkout
// needs no separate build step and can never run stale compiled output.
import { register } from "tsx/esm/api";

register();
await import("../pipeline/cli.ts");
