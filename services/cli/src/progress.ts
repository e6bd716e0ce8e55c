import cliProgress from 'cli-progress';

/** A progress bar on stderr with rate and ETA; silent when stderr is not a terminal unless forced. */
export function progressBar(label: string, unit: string) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  return {
    update(done: number, total: number) {
      if (!running) {
        bar.start(total, 0, { rate: '0' });
        running = true;
      }
      bar.setTotal(total);
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds).toLocaleString('en') : '0' });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
