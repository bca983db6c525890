"""The Python reference for the course: the guide's Content example, written out again.

Two fake fetches of one second each (posts and albums), loaded three ways: gathered, gathered as
tasks made from a list of names, and one after the other. Each way prints the guide's line,
`Execution time: 1.00 seconds.` (two decimals); `--digits 4` prints more for the benchmark.
Run with the machine's python3: `python3 bench/python/asyncapp.py`.
"""
import asyncio
import sys
import time

FETCH_SECONDS = 1


class Content:
    async def get_posts(self) -> list[dict]:
        await asyncio.sleep(FETCH_SECONDS)  # stands in for a network call
        return [{"id": 1, "title": "Lorem Ipsum"}]

    async def get_albums(self) -> list[dict]:
        await asyncio.sleep(FETCH_SECONDS)
        return [{"id": 1, "title": "Mona Lisa"}]

    async def load_contents(self) -> float:
        began = time.perf_counter()
        await asyncio.gather(self.get_posts(), self.get_albums())
        return time.perf_counter() - began

    async def load_contents_using_tasks(self) -> float:
        began = time.perf_counter()
        tasks = [asyncio.create_task(getattr(self, f"get_{name}")()) for name in ("posts", "albums")]
        await asyncio.gather(*tasks)
        return time.perf_counter() - began

    async def load_contents_synchronous(self) -> float:
        began = time.perf_counter()
        await self.get_posts()
        await self.get_albums()
        return time.perf_counter() - began


async def app(digits: int) -> None:
    content = Content()
    for way in (content.load_contents, content.load_contents_using_tasks,
                content.load_contents_synchronous):
        print(f"Execution time: {await way():0.{digits}f} seconds.")


if __name__ == "__main__":
    asyncio.run(app(int(sys.argv[2]) if sys.argv[1:2] == ["--digits"] else 2))
