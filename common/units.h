#pragma once
// Decimal units as drive makers, NIC vendors and the scorer count them (a TB is 1e12 bytes, a
// Gbit/s 1e9 bits a second): one declaration for every stage.
namespace shapeq {

inline constexpr double kGB = 1e9;
inline constexpr double kTB = 1e12;
inline constexpr double kPB = 1e15;
inline constexpr double kSecondsPerHour = 3600;

}  // namespace shapeq
