import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ReviewerRoleSchema } from "../../schemas/review.ts";
import { EXIT_OK, EXIT_USAGE, type CommandIO } from "../cli/io.ts";
import { hashPassword } from "./password.ts";

/**
 * `vanthu hash-password`: makes the scrypt hash a reviewer account in
 * VANTHU_REVIEWERS carries. The password is read from standard input, never
 * from the command line (where `ps` and shell history would keep it); on a
 * terminal it is asked twice without echo.
 */
export interface HashPasswordOptions {
  user?: string;
  role?: string;
}

export async function runHashPassword(options: HashPasswordOptions, io: CommandIO, input: Readable & { isTTY?: boolean } = process.stdin, terminal: Writable = process.stderr): Promise<number> {
  const role = ReviewerRoleSchema.safeParse(options.role ?? "reviewer");
  if (!role.success) {
    io.stderr(`vanthu: --role must be reviewer or admin\n`);
    return EXIT_USAGE;
  }
  let password: string;
  if (input.isTTY) {
    password = await askHidden("Password: ", input, terminal);
    const again = await askHidden("Repeat the password: ", input, terminal);
    if (password !== again) {
      io.stderr("vanthu: the passwords differ\n");
      return EXIT_USAGE;
    }
  } else {
    password = (await firstLine(input)) ?? "";
  }
  if (!password) {
    io.stderr("vanthu: no password given (type it, or pipe it on standard input)\n");
    return EXIT_USAGE;
  }
  const passwordHash = await hashPassword(password);
  io.stdout(options.user ? `${JSON.stringify({ user: options.user, role: role.data, passwordHash })}\n` : `${passwordHash}\n`);
  return EXIT_OK;
}

async function firstLine(input: Readable): Promise<string | null> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return null;
}

function askHidden(prompt: string, input: Readable, output: Writable): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: true });
    // Echo off: readline writes what is typed through _writeToOutput; only the prompt is let through.
    const internal = rl as unknown as { _writeToOutput: (text: string) => void };
    internal._writeToOutput = (text: string) => {
      if (text.includes(prompt)) output.write(prompt);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      output.write("\n");
      resolve(answer);
    });
  });
}
