import cliProgress from 'cli-progress';

const seconds = (value: number) => (value >= 90 ? `${Math.floor(value / 60)}m${String(Math.round(value % 60)).padStart(2, '0')}s` : `${Math.round(value)}s`);

/**
 * A progress bar on stderr with rate and ETA. On a terminal it redraws in place; in a log (CI,
 * a pipe) it prints a plain line every few seconds instead.
 */
export function progressBar(label: string, unit: string) {
  const started = Date.now();
  const rate = (done: number) => done / Math.max((Date.now() - started) / 1000, 0.001);
  if (!process.stderr.isTTY) {
    let lastLine = 0;
    let last = { done: 0, total: 0 };
    const line = () => {
      const { done, total } = last;
      const perSecond = rate(done);
      const eta = perSecond > 0 ? (total - done) / perSecond : 0;
      process.stderr.write(
        `${label}: ${Math.floor((100 * done) / Math.max(total, 1))}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${unit}, ${Math.round(perSecond).toLocaleString('en')}/s, ETA ${seconds(eta)}\n`,
      );
    };
    return {
      update(done: number, total: number) {
        last = { done, total };
        if (Date.now() - lastLine >= 5000) {
          lastLine = Date.now();
          line();
        }
      },
      stop() {
        if (last.total > 0) line();
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    update(done: number, total: number) {
      if (!running) {
        bar.start(total, 0, { rate: '0' });
        running = true;
      }
      bar.setTotal(total);
      bar.update(done, { rate: Math.round(rate(done)).toLocaleString('en') });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
