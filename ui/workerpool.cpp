#include "ui/workerpool.h"

#include <QThread>
#include <QThreadPool>

namespace transom::ui {

QThreadPool *workerPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool; // lives as long as the process: tasks may still be finishing at exit
        p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        p->setObjectName(QStringLiteral("transom-workers"));
        return p;
    }();
    return pool;
}

} // namespace transom::ui
