import { InvalidArgumentError } from 'commander'

/** A commander argument parser for an integer in [min, max]; a bad value is a usage error (exit 2). */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value: string): number => {
    const text = value.trim()
    const number = Number(text)
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`)
    }
    return number
  }
}
