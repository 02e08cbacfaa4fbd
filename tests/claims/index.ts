// Every page's claims, one file per page so that changes to different pages never collide.
import type {Claim} from "./claim.ts";
import {claims as chapter04} from "./chapter04.ts";
import {claims as chapter05} from "./chapter05.ts";
import {claims as chapter06} from "./chapter06.ts";
import {claims as chapter07} from "./chapter07.ts";

export const CLAIMS: readonly Claim[] = [...chapter04, ...chapter05, ...chapter06, ...chapter07];
