import cliProgress from "cli-progress";

export interface Progress {
  update(receivedBytes: number, totalBytes: number | undefined): void;
  stop(): void;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A progress bar on stderr (a TTY): bytes, rate, and a percentage when the size is known. */
export function createProgressBar(stream: NodeJS.WriteStream): Progress {
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  const rate = (bytes: number) =>
    `${formatBytes(bytes / Math.max(0.001, (Date.now() - started) / 1000))}/s`;
  return {
    update(received, total) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: total
              ? "Downloading [{bar}] {percentage}% | {got} of {size} | {rate}"
              : "Downloading {got} | {rate}",
            hideCursor: true,
            clearOnComplete: true,
            barsize: 30,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total ?? 0, 0, { got: formatBytes(0), size: formatBytes(total ?? 0), rate: "-" });
      }
      bar.update(total ? received : 0, {
        got: formatBytes(received),
        size: formatBytes(total ?? 0),
        rate: rate(received),
      });
    },
    stop() {
      bar?.stop();
    },
  };
}
