//! Per-run limits, the units people write them in, and their ranges.

use std::time::Duration;

/// Per-run limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Wall-clock budget of the call (instantiation included).
    pub timeout: Duration,
    /// Fuel budget; `None` runs without a fuel limit.
    pub fuel: Option<u64>,
    /// Largest total linear memory of one instance, in bytes.
    pub max_memory: usize,
    /// Most bytes kept of stdout, and of stderr.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            fuel: None,
            max_memory: 256 << 20,
            max_output: 1 << 20,
        }
    }
}

/// A run's limits in the units people write them in (whole milliseconds,
/// MiB, KiB), before they are checked: what the command line's flags and
/// the app's run request carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitUnits {
    /// Wall-clock budget, in milliseconds.
    pub timeout_ms: u64,
    /// Memory cap per instance, in MiB.
    pub max_memory_mib: u64,
    /// Fuel budget; `None` runs without a fuel limit.
    pub fuel: Option<u64>,
    /// Most output kept per stream, in KiB.
    pub max_output_kib: u64,
}

impl Limits {
    /// `--timeout-ms`: 1 ms to an hour.
    pub const TIMEOUT_MS: LimitRange = LimitRange {
        name: "timeout-ms",
        label: "Timeout",
        unit: "ms",
        min: 1,
        max: 3_600_000,
    };
    /// `--max-memory-mib`: 1 MiB to 4 GiB, the largest memory a 32-bit
    /// wasm memory (and the host's pool slot, [`crate::HostOptions`]'s
    /// `max_memory_size`) can have.
    pub const MAX_MEMORY_MIB: LimitRange = LimitRange {
        name: "max-memory-mib",
        label: "Memory",
        unit: "MiB",
        min: 1,
        max: 4096,
    };
    /// `--fuel`: any positive amount (no fuel would stop the first
    /// instruction).
    pub const FUEL: LimitRange = LimitRange {
        name: "fuel",
        label: "Fuel",
        unit: "units",
        min: 1,
        max: u64::MAX,
    };
    /// `--max-output-kib`: 1 KiB to 1 GiB per stream, held in memory.
    pub const MAX_OUTPUT_KIB: LimitRange = LimitRange {
        name: "max-output-kib",
        label: "Output",
        unit: "KiB",
        min: 1,
        max: 1 << 20,
    };
    /// `--max-stack-kib`: the guest's wasm stack, 16 KiB to 16 MiB (a host
    /// option, [`crate::HostOptions::max_wasm_stack`], not a per-run limit;
    /// checked here with the others).
    pub const MAX_STACK_KIB: LimitRange = LimitRange {
        name: "max-stack-kib",
        label: "Stack",
        unit: "KiB",
        min: 16,
        max: 16 << 10,
    };

    /// Checks every limit against its range and converts it to the host's
    /// units. This is the one check of limits: the command line and the
    /// app's run request both call it.
    pub fn from_units(units: LimitUnits) -> Result<Self, LimitError> {
        let timeout_ms = Self::TIMEOUT_MS.check(units.timeout_ms)?;
        let fuel = units.fuel.map(|f| Self::FUEL.check(f)).transpose()?;
        Ok(Self {
            timeout: Duration::from_millis(timeout_ms),
            fuel,
            max_memory: Self::MAX_MEMORY_MIB.bytes(units.max_memory_mib, 20)?,
            max_output: Self::MAX_OUTPUT_KIB.bytes(units.max_output_kib, 10)?,
        })
    }

    /// The largest wasm stack, in bytes, from KiB checked against
    /// [`Limits::MAX_STACK_KIB`].
    pub fn stack_bytes(kib: u64) -> Result<usize, LimitError> {
        Self::MAX_STACK_KIB.bytes(kib, 10)
    }
}

/// The range a limit accepts, in the unit people write it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitRange {
    /// The limit's name as the command line spells its flag, without the
    /// dashes (`max-memory-mib`).
    pub name: &'static str,
    /// The limit as a form labels it (`Memory`).
    pub label: &'static str,
    /// The unit of the numbers (`MiB`).
    pub unit: &'static str,
    /// The smallest value accepted.
    pub min: u64,
    /// The largest value accepted.
    pub max: u64,
}

impl LimitRange {
    /// `value`, if it lies in the range.
    pub fn check(&self, value: u64) -> Result<u64, LimitError> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(self.error(value))
        }
    }

    /// A whole number written in the range's unit (command-line text),
    /// checked; text that is no number, or one too large for any range,
    /// is an error naming the range too.
    pub fn parse(&self, text: &str) -> Result<u64, LimitError> {
        match text.trim().parse::<u64>() {
            Ok(value) => self.check(value),
            Err(_) => Err(self.error(text)),
        }
    }

    /// `between 1 and 4096 (MiB)`.
    pub fn describe(&self) -> String {
        format!("between {} and {} ({})", self.min, self.max, self.unit)
    }

    /// `value` in this range's unit, checked, as bytes (`shift` 10 for KiB,
    /// 20 for MiB), without wrapping.
    fn bytes(&self, value: u64, shift: u32) -> Result<usize, LimitError> {
        let value = self.check(value)?;
        value
            .checked_mul(1 << shift)
            .and_then(|b| usize::try_from(b).ok())
            .ok_or_else(|| self.error(value))
    }

    fn error(&self, got: impl ToString) -> LimitError {
        LimitError {
            limit: *self,
            got: got.to_string(),
        }
    }
}

/// A limit outside its range (or not a number).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--{} must be {}, got {got}", limit.name, limit.describe())]
pub struct LimitError {
    /// The limit and its range.
    pub limit: LimitRange,
    /// The value given, as written.
    pub got: String,
}
