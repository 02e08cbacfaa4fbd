/// <reference types="vite/client" />
// Every page's claims: each file here that exports `claims` (one file per page, so that changes to
// different pages never collide) is collected, in file-name order.
import type {Claim} from "./claim.ts";

const files = import.meta.glob<{claims?: readonly Claim[]}>("./*.ts", {eager: true});

export const CLAIMS: readonly Claim[] = Object.keys(files)
  .sort()
  .flatMap((file) => files[file].claims ?? []);
