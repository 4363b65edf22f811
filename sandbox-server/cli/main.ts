/**
 * `npm run sandbox -- run …`: the headless CLI over the same sandbox core the web app uses.
 * Usage errors print one line and exit 2; see help.ts for the commands.
 */
import { RunInputError } from '../plan/input-error.ts';
import { CliUsageError, parseCliArgs } from './args.ts';
import { HELP } from './help.ts';

/** Runs the CLI with these arguments and returns its exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCliArgs(argv);
    if (command.command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (process.getuid?.() !== 0) {
      throw new CliUsageError(
        'the sandbox needs root (it creates namespaces and cgroups; learner code still runs unprivileged): run with sudo',
      );
    }
    // Loaded only for a run: help and usage errors answer without loading the sandbox.
    const { runCommand } = await import('./run-command.ts');
    return await runCommand(command);
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof RunInputError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
