import { runDlqCommand } from './dlq.command';

// npm run dlq -- list | show | replay | discard | history (see DLQ_USAGE).
runDlqCommand(process.argv.slice(2), process.env).then(
  (lines) => {
    for (const line of lines) console.log(line);
  },
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
