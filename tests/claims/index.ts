// Every page's claims, one file per page so that changes to different pages never collide.
import type {Claim} from "./claim.ts";
import {claims as chapter07} from "./chapter07.ts";
import {claims as chapter10Lab} from "./chapter10-lab.ts";

export const CLAIMS: readonly Claim[] = [...chapter07, ...chapter10Lab];
