"""Properties of the article's programs, for threadsim's --check: each is
the property of the program's Go twin in scenarios/, read off what the
program printed (lines) and its main module's globals (g). The programs
themselves are the article's code, unchanged."""


def _messages(lines, prefix):
    out = []
    for line in lines:
        i = line.find(prefix)
        if i >= 0:
            out.append(line[i + len(prefix):].split()[0])
    return out


def ending_value_is_updates(lines, g):
    """lost-update, locked-update: the ending value equals the number of updates."""
    assert g["database"].value == 2, "ending value %d, want 2" % g["database"].value


def every_message_stored(lines, g):
    """pipeline-lock(-bug): the consumer stores every message the producer got, in order."""
    got = _messages(lines, "Producer got message: ")
    stored = _messages(lines, "Consumer storing message: ")
    assert got == stored, "produced %s, stored %s" % (got, stored)


def finishing_not_after_all_done(lines, g):
    """daemon: 'Thread 1: finishing' never appears after 'Main    : all done' (the article's claim)."""
    done = [i for i, line in enumerate(lines) if "Main    : all done" in line]
    late = [i for i, line in enumerate(lines) if "Thread 1: finishing" in line and done and i > done[0]]
    assert not late, "'Thread 1: finishing' printed after 'Main    : all done'"


def finishing_before_all_done(lines, g):
    """join: 'Thread 1: finishing' is printed, before 'Main    : all done'."""
    fin = [i for i, line in enumerate(lines) if "Thread 1: finishing" in line]
    done = [i for i, line in enumerate(lines) if "Main    : all done" in line]
    assert fin and done and fin[0] < done[0], "finishing %s, all done %s" % (fin, done)


def every_thread_finished(lines, g):
    """multiple-threads, executor: each of the three threads printed 'finishing'."""
    for i in range(3):
        assert any("Thread %d: finishing" % i in line for line in lines), "thread %d did not finish" % i


def prompt_not_after_key(lines, g):
    """timer-prompt(-race): the prompt never appears after the key press."""
    key = [i for i, line in enumerate(lines) if "the user pressed a key" in line]
    late = [i for i, line in enumerate(lines) if "are you still there?" in line and key and i > key[0]]
    assert not late, "the prompt appeared after the user pressed a key"
