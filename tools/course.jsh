// The course's imports, preloaded by `make jshell` so any lesson's snippet can be pasted as is.
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import static asynclab.Lab.*;
import asynclab.*;
