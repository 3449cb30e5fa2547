// Preloaded (`node --expose-gc --import ./bench/mem.mjs …`) into a forked server, floor or ours alike: answers
// 'mem' over IPC with its heap and RSS after two full collections, measured in that process itself.
if (process.send) {
  process.on('message', (m) => {
    if (m !== 'mem') return;
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ heapUsed, rss });
  });
  process.channel?.unref();
}
