import type { Task } from "../../schemas/extraction.ts"; import type { TextModel } from "../model.ts"; import type { Regions } from "./regions.ts";
export function extractTasks(_m: TextModel, _r: Regions, _o: { recipients: string[] }): Task[] { return []; }
