// Which webhook URLs and addresses are refused (the creation-time check and the check after DNS).
import { describe, expect, it } from "vitest";
import { refusedRange, urlProblem } from "../../src/upstream/webhook-sender.js";

describe("webhook address ranges", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fd00:ec2::254", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
  ])("refuses %s (%s)", (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(["8.8.8.8", "200.160.2.3", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows public unicast %s", (address) => {
    expect(refusedRange(address)).toBeNull();
  });
});

describe("webhook URL checks", () => {
  it.each([
    "http://hooks.example.com/x",
    "ftp://hooks.example.com/x",
    "https://user:pw@hooks.example.com/x",
    "https://127.0.0.1/x",
    "https://2130706433/x", // 127.0.0.1 written as one number: the URL parser normalizes it
    "https://[::1]/x",
    "https://localhost/x",
    "https://api.localhost/x",
    "https://localhost./x",
    "not a url",
  ])("refuses %s", (url) => {
    expect(urlProblem(url, false)).not.toBeNull();
  });

  it("allows https to a public name, and http or private addresses only when private URLs are allowed", () => {
    expect(urlProblem("https://hooks.example.com/correios?x=1", false)).toBeNull();
    expect(urlProblem("http://127.0.0.1:8080/x", true)).toBeNull();
    expect(urlProblem("ftp://127.0.0.1/x", true)).not.toBeNull();
  });

  it("leaves names to DNS at delivery time", () => {
    expect(urlProblem("https://localhost/x", false, false)).toBeNull();
    expect(urlProblem("https://127.0.0.1/x", false, false)).not.toBeNull();
  });
});
