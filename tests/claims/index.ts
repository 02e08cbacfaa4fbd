// Every page's claims, one file per page so that changes to different pages never collide.
import type {Claim} from "./claim.ts";
import {claims as chapter07} from "./chapter07.ts";
import {claims as chapter08} from "./chapter08.ts";
import {claims as chapter09} from "./chapter09.ts";

export const CLAIMS: readonly Claim[] = [...chapter07, ...chapter08, ...chapter09];
