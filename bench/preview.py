"""How long an editor waits for "Nghe thử": a 60-second story voiced with the offline voice (espeak-ng).

Usage: python bench/preview.py [--repeats 3]

In one run, on a fresh content copy with one approved story of about a minute of speech:
  - preview, cold: flows.pipeline.preview.preview() with an empty speech cache (what the desk does the first time);
  - preview, cached: the same call again (every later "Nghe thử", and the night's synthesis of the same text);
  - the alternative: building the station's bulletin to hear the story in it (flows.pipeline.synthesise for one
    station, cache emptied first), which is what an editor had to do before the desk could voice one story.
Each is timed `--repeats` times (median, wall clock; the machine is shared, so read the ratios).
The goal of issue 10: the cold preview of a 60-second story back in under 5 s on the test machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# About a minute read aloud by espeak-ng's Vietnamese voice (measured below and printed).
STORY = ("Sáng ngày hai mươi tám tháng mười một, Ủy ban nhân dân xã Bình Long tổ chức hội nghị tổng kết phong trào "
         "thi đua yêu nước năm hai nghìn hai mươi ba. Trong năm, toàn xã đã làm mới bốn cây số đường bê tông liên "
         "xóm, trong đó nhân dân hiến hơn ba nghìn mét vuông đất và đóng góp hàng nghìn ngày công. Mô hình dân vận "
         "khéo ở thôn Đồng Mỏ giúp mười hai hộ nghèo có việc làm ổn định nhờ trồng chè và nuôi ong. Hội Phụ nữ xã "
         "duy trì tổ tiết kiệm với ba mươi thành viên, giúp chị em vay vốn không lãi để phát triển kinh tế gia đình. "
         "Đoàn Thanh niên ra quân hỗ trợ người dân cài đặt ứng dụng định danh điện tử và thanh toán không dùng tiền "
         "mặt. Hội nghị đã khen thưởng mười lăm tập thể và hai mươi cá nhân có thành tích xuất sắc, đồng thời phát "
         "động thi đua hoàn thành các tiêu chí nông thôn mới nâng cao trong năm tới. Phát biểu tại hội nghị, đồng "
         "chí Chủ tịch Ủy ban nhân dân xã đề nghị các thôn tiếp tục nhân rộng những cách làm hay, quan tâm chăm lo "
         "cho người cao tuổi, trẻ em và các gia đình chính sách. Mỗi cán bộ, đảng viên phải gương mẫu đi đầu, lắng "
         "nghe ý kiến của nhân dân và giải quyết kịp thời những vướng mắc ngay từ cơ sở. Hội nghị kết thúc lúc mười "
         "một giờ trưa cùng ngày.")


def _setup(base: Path):  # type: ignore[no-untyped-def]
    from flows import runtime
    from flows.models import SubmittedStory

    content = base / "project" / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".gitkeep"))
    runtime.forget()
    room, store = runtime.newsroom(str(content)), runtime.store(str(content))
    source = room.source("trung-tam")  # the centre's own source: approved at once
    when = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) - timedelta(hours=1)
    story_id = store.add_submission(SubmittedStory(source_id=source.id, external_id="bench-preview",
                                                   title="Bình Long tổng kết phong trào thi đua",
                                                   body=f"<p>{STORY}</p>", published_at=when), source)
    from flows import pipeline

    pipeline.normalise(room, store)
    return room, store, store.story(story_id)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


CPU: list[float] = []  # CPU seconds of each timed call (this process and the ffmpeg it starts)


def _timed(work) -> float:  # type: ignore[no-untyped-def]
    cpu, start = _cpu(), time.perf_counter()
    work()
    CPU.append(_cpu() - cpu)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--station", default="binh-long")
    args = parser.parse_args()
    from flows import pipeline
    from flows.pipeline.preview import preview

    with tempfile.TemporaryDirectory() as tmp:
        room, store, story = _setup(Path(tmp))
        cache = room.settings.audio.cache
        cold, warm, bulletin, seconds, engine = [], [], [], 0.0, ""
        cpu: dict[str, list[float]] = {"cold": [], "warm": [], "bulletin": []}
        for _ in range(args.repeats):
            shutil.rmtree(cache, ignore_errors=True)
            clip = None

            def first() -> None:
                nonlocal clip
                clip = preview(room, story, args.station)
            cold.append(_timed(first))
            cpu["cold"].append(CPU[-1])
            assert clip is not None
            seconds, engine = clip.duration_seconds, clip.engine
            warm.append(_timed(lambda: preview(room, story, args.station)))
            cpu["warm"].append(CPU[-1])
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(room.settings.audio.output, ignore_errors=True)
            day = story.air_from
            bulletin.append(_timed(lambda day=day: pipeline.synthesise(room, store, day=day, stations=[args.station])))
            cpu["bulletin"].append(CPU[-1])
        c, w, b = statistics.median(cold), statistics.median(warm), statistics.median(bulletin)
        cc, cb = statistics.median(cpu["cold"]), statistics.median(cpu["bulletin"])
        print(f"story: {len(STORY.split())} syllables, {seconds:.1f} s of speech ({engine}), station {args.station}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"preview, cold cache     : {c:6.2f} s wall, {cc:5.2f} s CPU  (goal < 5 s: {'met' if c < 5 else 'NOT met'}; "
              f"{seconds / c:.1f}x faster than real time)")
        print(f"preview, cached         : {w:6.3f} s wall  ({c / w:.0f}x faster than cold)")
        print(f"build the bulletin      : {b:6.2f} s wall, {cb:5.2f} s CPU  (the bulletin with only this story: "
              f"{b / c:.2f}x the preview's time)")


if __name__ == "__main__":
    main()
