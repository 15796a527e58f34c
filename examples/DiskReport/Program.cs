// disk-report: prints how full each file system is and fails when one is fuller than allowed.
//
//   */15 * * * *  dotnet /opt/disk-report/DiskReport.dll --max-used-percent=85 / /var /home
//
// Every run is recorded under the name "disk-report", so `scriptmon status` shows when the check last ran,
// and a full disk turns into a failed run with exit status 3.
return await new DiskReport().RunAsync(args);
