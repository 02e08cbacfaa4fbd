// Every page's claims, one file per page so that changes to different pages never collide.
import type {Claim} from "./claim.ts";
import {claims as chapter01} from "./chapter01.ts";
import {claims as chapter02} from "./chapter02.ts";
import {claims as chapter03} from "./chapter03.ts";
import {claims as chapter07} from "./chapter07.ts";

export const CLAIMS: readonly Claim[] = [...chapter01, ...chapter02, ...chapter03, ...chapter07];
