// Worker-thread entry: parses the files it is sent and answers with their symbols, calls and imports (and, when the job
// asks, the code map's metrics of the same trees).
import { parentPort } from 'node:worker_threads';
import { parseFile } from './parse';
import type { ParseJob, ParseReply } from './parse-pool';

const port = parentPort;
if (port) {
  port.on('message', async (job: ParseJob) => {
    const results = [];
    for (const f of job.files) results.push(await parseFile(f.path, f.language, f.text, job.opts));
    const reply: ParseReply = { id: job.id, results };
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
