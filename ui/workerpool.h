#pragma once

class QThreadPool;

namespace transom::ui {

/// The studio's thread pool for background work: reading samples, mapping previews, store reads, traces,
/// connection tests, saving preferences. Deliberately not QThreadPool::globalInstance(): Qt's raster paint
/// engine splits large fills across the global pool and waits for them, so a global pool busy with
/// previews would freeze every repaint until they finish.
QThreadPool *workerPool();

} // namespace transom::ui
