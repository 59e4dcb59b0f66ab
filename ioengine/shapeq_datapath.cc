// shapeq-datapath: a fio external ioengine (ioengine=external:/path/shapeq_datapath.so).
// I/O goes through io_uring; on every completion a storage server's data path runs on the
// buffer: CRC-32C on reads, CRC-32C plus erasure-code parity (k+m) on writes. So fio's figures
// become what a storage server on this shape could serve, its CPU cost included.
//
// Engine options:
//   datapath=none|crc|ec   what runs on each completion (default crc)
//   k=8, m=2               the erasure code for datapath=ec
//   datapath_log=FILE      one line per completed I/O: ddir offset length crc32c [parity crc32c...]
//                          (for verification; costs a write per I/O)
//   force_async=N          every Nth I/O goes straight to io_uring's async workers (IOSQE_ASYNC),
//                          as fio's io_uring engine's option of that name; 0 (default): never.
//                          A device under a blkio throttle needs 1: the throttle charges a read's
//                          non-blocking first try and its retry both, and halves what it passes.
//
// Built against the headers of the installed fio version (scripts/lib/fio-source.sh).
// C++ headers first: fio's headers define min and max as macros.
#include <liburing.h>

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <tuple>
#include <vector>

#include "workloads/datapath.h"

// fio's functions have C linkage but its headers declare them bare: wrap them. <atomic>, the
// one C++ header they pull in, is included first so the wrap never reaches its templates.
#include <atomic>
extern "C" {
#include "fio.h"
#include "optgroup.h"
}
#undef min
#undef max

namespace {

enum Datapath : unsigned int { kNone = 0, kCrc = 1, kEc = 2 };

// fio fills this from the job's engine options; the first member must be a pad (fio treats
// offset 0 as "no option").
struct EngineOptions {
  void* pad;
  unsigned int datapath;
  unsigned int k;
  unsigned int m;
  char* log_path;
  unsigned int force_async;
};

struct Engine {
  io_uring ring{};
  std::vector<io_u*> pending;    // queued since the last commit
  std::vector<io_u*> completed;  // handed to fio by event()
  std::unique_ptr<shapeq::ErasureCode> code;
  std::vector<std::vector<uint8_t>> strips;  // parity strips, and padded copies of short tail strips
  FILE* log = nullptr;
  uint64_t queued = 0;  // for force_async
};

Engine* Of(thread_data* td) { return static_cast<Engine*>(td->io_ops_data); }
EngineOptions* OptionsOf(thread_data* td) { return static_cast<EngineOptions*>(td->eo); }

// The data path on one completed buffer.
void RunDatapath(thread_data* td, Engine* e, io_u* u, size_t bytes) {
  const EngineOptions* o = OptionsOf(td);
  if (o->datapath == kNone || bytes == 0) return;
  auto* data = static_cast<uint8_t*>(u->xfer_buf);
  const uint32_t crc = shapeq::Crc32c(data, bytes);
  std::vector<uint32_t> parity_crcs;
  if (o->datapath == kEc && u->ddir == DDIR_WRITE) {
    // k strips of ceil(bytes / k); a strip running past the buffer is a zero-padded copy.
    const unsigned k = e->code->k(), m = e->code->m();
    const size_t strip = (bytes + k - 1) / k;
    if (e->strips.size() != k + m || e->strips[0].size() != strip) e->strips.assign(k + m, std::vector<uint8_t>(strip));
    std::vector<uint8_t*> pointers(k + m);
    for (unsigned i = 0; i < k; ++i) {
      const size_t begin = i * strip;
      if (begin + strip <= bytes) {
        pointers[i] = data + begin;
      } else {
        auto& pad = e->strips[i];
        std::fill(pad.begin(), pad.end(), 0);
        if (begin < bytes) std::copy(data + begin, data + bytes, pad.begin());
        pointers[i] = pad.data();
      }
    }
    for (unsigned p = 0; p < m; ++p) pointers[k + p] = e->strips[k + p].data();
    e->code->Encode(strip, pointers.data(), pointers.data() + k);
    if (e->log) {
      for (unsigned p = 0; p < m; ++p) parity_crcs.push_back(shapeq::Crc32c(pointers[k + p], strip));
    }
  }
  if (e->log) {
    std::fprintf(e->log, "%s %" PRIu64 " %zu %08x", u->ddir == DDIR_WRITE ? "write" : "read", static_cast<uint64_t>(u->offset), bytes, crc);
    for (uint32_t p : parity_crcs) std::fprintf(e->log, " %08x", p);
    std::fputc('\n', e->log);
  }
}

int Init(thread_data* td) {
  EngineOptions* o = OptionsOf(td);
  auto e = std::make_unique<Engine>();
  if (const int rc = io_uring_queue_init(std::max(1u, td->o.iodepth), &e->ring, 0); rc < 0) {
    log_err("shapeq-datapath: io_uring_queue_init: %s\n", strerror(-rc));
    return 1;
  }
  if (o->datapath == kEc) {
    try {
      e->code = std::make_unique<shapeq::ErasureCode>(o->k, o->m);
    } catch (const std::exception& error) {
      log_err("shapeq-datapath: %s\n", error.what());
      io_uring_queue_exit(&e->ring);
      return 1;
    }
  }
  if (o->log_path && *o->log_path) {
    e->log = std::fopen(o->log_path, "a");
    if (!e->log) {
      log_err("shapeq-datapath: datapath_log=%s: %s\n", o->log_path, strerror(errno));
      io_uring_queue_exit(&e->ring);
      return 1;
    }
  }
  td->io_ops_data = e.release();
  return 0;
}

void Cleanup(thread_data* td) {
  Engine* e = Of(td);
  if (!e) return;
  io_uring_queue_exit(&e->ring);
  if (e->log) std::fclose(e->log);
  delete e;
  td->io_ops_data = nullptr;
}

enum fio_q_status Queue(thread_data* td, io_u* u) {
  Engine* e = Of(td);
  io_uring_sqe* sqe = io_uring_get_sqe(&e->ring);
  if (!sqe) return FIO_Q_BUSY;
  const int fd = u->file->fd;
  switch (u->ddir) {
    case DDIR_READ:
      io_uring_prep_read(sqe, fd, u->xfer_buf, static_cast<unsigned>(u->xfer_buflen), u->offset);
      break;
    case DDIR_WRITE:
      io_uring_prep_write(sqe, fd, u->xfer_buf, static_cast<unsigned>(u->xfer_buflen), u->offset);
      break;
    case DDIR_SYNC:
      io_uring_prep_fsync(sqe, fd, 0);
      break;
    case DDIR_DATASYNC:
      io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
      break;
    default:
      u->error = EINVAL;
      return FIO_Q_COMPLETED;
  }
  const unsigned force_async = OptionsOf(td)->force_async;
  if (force_async && ++e->queued % force_async == 0) sqe->flags |= IOSQE_ASYNC;
  io_uring_sqe_set_data(sqe, u);
  e->pending.push_back(u);
  return FIO_Q_QUEUED;
}

int Commit(thread_data* td) {
  Engine* e = Of(td);
  if (e->pending.empty()) return 0;
  const int submitted = io_uring_submit(&e->ring);
  if (submitted < 0) return submitted;
  // As fio's own async engines do: stamp the issue time, count the submission.
  for (io_u* u : e->pending) io_u_queued(td, u);
  io_u_mark_submit(td, static_cast<unsigned>(e->pending.size()));
  e->pending.clear();
  return 0;
}

void Complete(thread_data* td, Engine* e, io_uring_cqe* cqe) {
  auto* u = static_cast<io_u*>(io_uring_cqe_get_data(cqe));
  if (cqe->res < 0) {
    u->error = -cqe->res;
  } else {
    u->resid = u->xfer_buflen - static_cast<unsigned long long>(cqe->res);
    if (u->ddir == DDIR_READ || u->ddir == DDIR_WRITE) RunDatapath(td, e, u, static_cast<size_t>(cqe->res));
  }
  io_uring_cqe_seen(&e->ring, cqe);
  e->completed.push_back(u);
}

int GetEvents(thread_data* td, unsigned int min, unsigned int max, const timespec*) {
  Engine* e = Of(td);
  e->completed.clear();
  while (e->completed.size() < max) {
    io_uring_cqe* cqe = nullptr;
    const int rc = e->completed.size() < min ? io_uring_wait_cqe(&e->ring, &cqe) : io_uring_peek_cqe(&e->ring, &cqe);
    if (rc == -EINTR) continue;
    if (rc < 0 || !cqe) break;
    Complete(td, e, cqe);
  }
  return static_cast<int>(e->completed.size());
}

io_u* Event(thread_data* td, int n) { return Of(td)->completed[static_cast<size_t>(n)]; }

fio_option options[6];
ioengine_ops engine;

// fio's option and ops tables are C structs with many members; filled by name here, once, when
// fio loads the engine (dlopen runs this before fio looks the engine up).
// One engine option: the fields every option shares.
fio_option& Option(size_t i, const char* name, const char* lname, fio_opt_type type, size_t offset, const char* help) {
  fio_option& o = options[i];
  o.name = name;
  o.lname = lname;
  o.type = type;
  o.off1 = static_cast<unsigned int>(offset);
  o.help = help;
  o.category = FIO_OPT_C_ENGINE;
  o.group = FIO_OPT_G_INVALID;
  return o;
}

__attribute__((constructor)) void Register() {
  fio_option& datapath = Option(0, "datapath", "shapeq data path", FIO_OPT_STR, offsetof(EngineOptions, datapath),
                                "Data path run on each completion: none, crc (CRC-32C) or ec (CRC-32C and erasure-code parity on writes)");
  datapath.def = "crc";
  const struct {
    const char* name;
    Datapath value;
    const char* help;
  } choices[] = {{"none", kNone, "no data path: plain io_uring"},
                 {"crc", kCrc, "CRC-32C of every buffer"},
                 {"ec", kEc, "CRC-32C, and k+m erasure-code parity on writes"}};
  for (size_t i = 0; i < std::size(choices); ++i) {
    datapath.posval[i].ival = choices[i].name;
    datapath.posval[i].oval = choices[i].value;
    datapath.posval[i].help = choices[i].help;
  }
  for (auto [i, name, lname, offset, def] : {std::tuple{1, "k", "data strips", offsetof(EngineOptions, k), "8"},
                                             std::tuple{2, "m", "parity strips", offsetof(EngineOptions, m), "2"}}) {
    fio_option& strips = Option(static_cast<size_t>(i), name, lname, FIO_OPT_INT, offset, "Erasure code strips (k data, m parity)");
    strips.def = def;
    strips.minval = 1;
    strips.maxval = 254;
  }
  Option(3, "datapath_log", "data path log", FIO_OPT_STR_STORE, offsetof(EngineOptions, log_path),
         "Append one line per completed I/O: ddir offset length crc32c [parity crc32c...]");
  fio_option& force_async = Option(4, "force_async", "force async", FIO_OPT_INT, offsetof(EngineOptions, force_async),
                                   "Set IOSQE_ASYNC on every Nth I/O (0: never; 1: all, for a device under a blkio throttle)");
  force_async.def = "0";
  force_async.minval = 0;
  force_async.maxval = 1u << 20;

  engine.name = "shapeq-datapath";
  engine.version = FIO_IOOPS_VERSION;
  engine.init = Init;
  engine.queue = Queue;
  engine.commit = Commit;
  engine.getevents = GetEvents;
  engine.event = Event;
  engine.cleanup = Cleanup;
  engine.open_file = generic_open_file;
  engine.close_file = generic_close_file;
  engine.get_file_size = generic_get_file_size;
  engine.options = options;
  engine.option_struct_size = sizeof(EngineOptions);
}

}  // namespace

// fio's hook for C++ engines: looked up after dlopen when there is no plain "ioengine" symbol.
extern "C" void get_ioengine(ioengine_ops** ops) { *ops = &engine; }
